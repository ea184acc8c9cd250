//! AWS adapters: DynamoDB, SQS, SES.
