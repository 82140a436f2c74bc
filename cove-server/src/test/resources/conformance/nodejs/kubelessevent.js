module.exports = {
  handler(event, context) { // two parameters: a Kubeless handler
    const request = event.extensions.request;
    return {
      id: event['event-id'], type: event['event-type'], time: event['event-time'],
      namespace: event['event-namespace'], method: request ? request.method : null,
    };
  },
};
