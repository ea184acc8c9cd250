//! Creating the resources `infra/template.yaml` declares, for tests on an
//! emulator and for trying the AWS backend by hand. Safe to run twice.

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TableStatus, TimeToLiveSpecification, TimeToLiveStatus,
};
use aws_sdk_sqs::types::QueueAttributeName;

use super::table::{GSI1, GSI2, GSI3, GSI4, PK, SK, TTL};

/// Receives before a mail is moved to the dead-letter queue.
pub const MAX_RECEIVE_COUNT: u32 = 5;

fn key(name: &str, key_type: KeyType) -> anyhow::Result<KeySchemaElement> {
    Ok(KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()?)
}

fn string_attribute(name: &str) -> anyhow::Result<AttributeDefinition> {
    Ok(AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()?)
}

fn index(name: &str, pk: &str, sk: &str) -> anyhow::Result<GlobalSecondaryIndex> {
    Ok(GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(pk, KeyType::Hash)?)
        .key_schema(key(sk, KeyType::Range)?)
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()?)
}

/// The table: `pk`/`sk`, GSIs `gsi1` to `gsi4`, on-demand, TTL on `ttl`.
pub async fn table(client: &aws_sdk_dynamodb::Client, name: &str) -> anyhow::Result<()> {
    let mut create = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(PK, KeyType::Hash)?)
        .key_schema(key(SK, KeyType::Range)?)
        .global_secondary_indexes(index(GSI1, "gsi1pk", "gsi1sk")?)
        .global_secondary_indexes(index(GSI2, "gsi2pk", "gsi2sk")?)
        .global_secondary_indexes(index(GSI3, "gsi3pk", "gsi3sk")?)
        .global_secondary_indexes(index(GSI4, "gsi4pk", "gsi4sk")?);
    for attribute in [
        PK, SK, "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk",
    ] {
        create = create.attribute_definitions(string_attribute(attribute)?);
    }
    match create.send().await {
        Ok(_) => {}
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_in_use_exception()) => {}
        Err(e) => bail!(
            "DynamoDB CreateTable {name}: {}",
            aws_sdk_dynamodb::error::DisplayErrorContext(&e)
        ),
    }

    let mut active = false;
    for _ in 0..120 {
        let described = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .context("DynamoDB DescribeTable")?;
        if described.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            active = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if !active {
        bail!("table {name} did not become active");
    }

    let ttl = client
        .describe_time_to_live()
        .table_name(name)
        .send()
        .await
        .context("DynamoDB DescribeTimeToLive")?;
    let status = ttl.time_to_live_description().and_then(|d| d.time_to_live_status());
    if !matches!(status, Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)) {
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(TTL)
                    .enabled(true)
                    .build()?,
            )
            .send()
            .await
            .context("DynamoDB UpdateTimeToLive")?;
    }
    Ok(())
}

/// The mail queue and its dead-letter queue (`<name>-dlq`); returns the mail queue's URL.
pub async fn queues(client: &aws_sdk_sqs::Client, name: &str) -> anyhow::Result<String> {
    let dlq_url = client
        .create_queue()
        .queue_name(format!("{name}-dlq"))
        .attributes(QueueAttributeName::MessageRetentionPeriod, (14 * 24 * 3600).to_string())
        .send()
        .await
        .context("SQS CreateQueue (dead-letter)")?
        .queue_url
        .ok_or_else(|| anyhow!("SQS CreateQueue returned no URL"))?;
    let dlq_arn = client
        .get_queue_attributes()
        .queue_url(&dlq_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .context("SQS GetQueueAttributes")?
        .attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .ok_or_else(|| anyhow!("SQS returned no ARN for the dead-letter queue"))?;
    let redrive = serde_json::json!({ "deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT });
    client
        .create_queue()
        .queue_name(name)
        .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
        .send()
        .await
        .context("SQS CreateQueue (mail)")?
        .queue_url
        .ok_or_else(|| anyhow!("SQS CreateQueue returned no URL"))
}

/// The SES sender identity for the address of `mail_from`.
pub async fn sender(client: &aws_sdk_sesv2::Client, mail_from: &str) -> anyhow::Result<()> {
    let address = super::mail::sender_address(mail_from);
    match client.create_email_identity().email_identity(address).send().await {
        Ok(_) => Ok(()),
        Err(e) if e.as_service_error().is_some_and(|e| e.is_already_exists_exception()) => Ok(()),
        Err(e) => bail!(
            "SES CreateEmailIdentity: {}",
            aws_sdk_sesv2::error::DisplayErrorContext(&e)
        ),
    }
}

/// The documents bucket: private (every public access blocked, objects
/// owned by the bucket owner), encrypted by default (SSE-S3), and with a CORS
/// rule letting the site at `allowed_origin` (if any) PUT and GET through
/// presigned URLs.
pub async fn bucket(client: &aws_sdk_s3::Client, name: &str, allowed_origin: Option<&str>) -> anyhow::Result<()> {
    use aws_sdk_s3::types::{
        BucketLocationConstraint, CorsConfiguration, CorsRule, CreateBucketConfiguration, ObjectOwnership,
        OwnershipControls, OwnershipControlsRule, PublicAccessBlockConfiguration, ServerSideEncryption,
        ServerSideEncryptionByDefault, ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
    };
    let s3_error = |what: &str, e: &dyn std::error::Error| {
        anyhow!("S3 {what} {name}: {}", aws_sdk_s3::error::DisplayErrorContext(e))
    };

    let mut create = client.create_bucket().bucket(name);
    let region = client.config().region().map(|r| r.as_ref().to_string());
    if let Some(region) = region.filter(|r| r != "us-east-1") {
        create = create.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region.as_str()))
                .build(),
        );
    }
    match create.send().await {
        Ok(_) => {}
        Err(e) if e.as_service_error().is_some_and(|e| e.is_bucket_already_owned_by_you()) => {}
        Err(e) => return Err(s3_error("CreateBucket", &e)),
    }
    client
        .put_public_access_block()
        .bucket(name)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| s3_error("PutPublicAccessBlock", &e))?;
    client
        .put_bucket_ownership_controls()
        .bucket(name)
        .ownership_controls(
            OwnershipControls::builder()
                .rules(
                    OwnershipControlsRule::builder()
                        .object_ownership(ObjectOwnership::BucketOwnerEnforced)
                        .build()?,
                )
                .build()?,
        )
        .send()
        .await
        .map_err(|e| s3_error("PutBucketOwnershipControls", &e))?;
    client
        .put_bucket_encryption()
        .bucket(name)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::Aes256)
                                .build()?,
                        )
                        .build(),
                )
                .build()?,
        )
        .send()
        .await
        .map_err(|e| s3_error("PutBucketEncryption", &e))?;
    if let Some(origin) = allowed_origin {
        client
            .put_bucket_cors()
            .bucket(name)
            .cors_configuration(
                CorsConfiguration::builder()
                    .cors_rules(
                        CorsRule::builder()
                            .allowed_origins(origin.trim_end_matches('/'))
                            .allowed_methods("PUT")
                            .allowed_methods("GET")
                            .allowed_headers("content-type")
                            .expose_headers("etag")
                            .max_age_seconds(600)
                            .build()?,
                    )
                    .build()?,
            )
            .send()
            .await
            .map_err(|e| s3_error("PutBucketCors", &e))?;
    }
    Ok(())
}
