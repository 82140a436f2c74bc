// OpenWhisk-style: the message's fields are its parameters. Chosen by the same selector as downscale.
function main(params) {
  console.log(`audit: ${params.name} had ${params.replicas} replicas and was scaled to zero`);
  return { audited: params.name };
}
