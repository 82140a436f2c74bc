function main(params) {
  return { ok: true };
}}
