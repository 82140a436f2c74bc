// A Kubeless function runs unchanged: handler(event, context), the parameters in event.data.
// A result that is not an object comes back as {"body": "..."}.
module.exports = {
  handler: (event, context) => `Hello, ${event.data.name || 'world'} from ${context['function-name']}!`,
};
