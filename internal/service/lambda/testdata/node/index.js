'use strict';

exports.asyncHandler = async (event, context) => {
  console.log('handling', event.name);
  if (event.fail) throw new TypeError('failed on purpose');
  return { greeting: `hello ${event.name}`, function: context.functionName, requestId: context.awsRequestId };
};

exports.callbackHandler = (event, context, callback) => {
  setTimeout(() => callback(null, { greeting: `hi ${event.name}`, remainingOk: context.getRemainingTimeInMillis() > 0 }), 5);
};

exports.ddb = async (event) => {
  const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({});
  await client.send(new PutItemCommand({ TableName: event.table, Item: { pk: { S: 'from-node' }, n: { N: '9' } } }));
  const out = await client.send(new GetItemCommand({ TableName: event.table, Key: { pk: { S: 'from-node' } } }));
  return { pk: out.Item.pk.S, n: Number(out.Item.n.N) };
};
