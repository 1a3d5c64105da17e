"""Drives a running Fogbank with boto3, a second SDK: CreateTable with a GSI,
BatchWriteItem, a paginated Query on the GSI and a TransactWriteItems whose
ConditionCheck fails. Configuration comes from the environment only:
AWS_ENDPOINT_URL, AWS_SHARED_CREDENTIALS_FILE and AWS_DEFAULT_REGION.
Exits non-zero (an AssertionError or ClientError) when Fogbank answers wrong.
"""

import os

import boto3
import botocore
from botocore.exceptions import ClientError

TABLE = "Orders"
STATUSES = ["open", "paid", "shipped"]
ORDERS = 60


def client():
    """Returns a DynamoDB client for the server named by AWS_ENDPOINT_URL."""
    kwargs = {}
    # botocore reads AWS_ENDPOINT_URL itself from 1.31 on (boto3 1.28); older
    # ones, such as Debian bookworm's python3-boto3, ignore it, so there the
    # same URL is passed explicitly.
    if tuple(int(p) for p in botocore.__version__.split(".")[:2]) < (1, 31):
        kwargs["endpoint_url"] = os.environ["AWS_ENDPOINT_URL"]
    return boto3.client("dynamodb", **kwargs)


def order(i):
    """Returns order i: customer c<i%4>, a status and a total."""
    return {
        "customer": {"S": "c%d" % (i % 4)},
        "order": {"S": "o%03d" % i},
        "status": {"S": STATUSES[i % 3]},
        "total": {"N": str((i * 37) % 101)},
    }


def create_table(ddb):
    ddb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "customer", "AttributeType": "S"},
            {"AttributeName": "order", "AttributeType": "S"},
            {"AttributeName": "status", "AttributeType": "S"},
            {"AttributeName": "total", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "customer", "KeyType": "HASH"},
            {"AttributeName": "order", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[{
            "IndexName": "byStatus",
            "KeySchema": [
                {"AttributeName": "status", "KeyType": "HASH"},
                {"AttributeName": "total", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }],
    )
    ddb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    table = ddb.describe_table(TableName=TABLE)["Table"]
    assert table["TableStatus"] == "ACTIVE", table
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["byStatus"], table


def batch_write(ddb):
    requests = [{"PutRequest": {"Item": order(i)}} for i in range(ORDERS)]
    for start in range(0, len(requests), 25):
        pending = {TABLE: requests[start:start + 25]}
        while pending:
            pending = ddb.batch_write_item(RequestItems=pending)["UnprocessedItems"]


def query_gsi(ddb):
    pages = ddb.get_paginator("query").paginate(
        TableName=TABLE,
        IndexName="byStatus",
        KeyConditionExpression="#s = :s AND #t >= :min",
        ExpressionAttributeNames={"#s": "status", "#t": "total"},
        ExpressionAttributeValues={":s": {"S": "paid"}, ":min": {"N": "10"}},
        PaginationConfig={"PageSize": 4},
    )
    items, page_count = [], 0
    for page in pages:
        page_count += 1
        assert page["Count"] <= 4, page
        items.extend(page["Items"])
    want = sorted(
        (order(i) for i in range(ORDERS) if i % 3 == 1 and (i * 37) % 101 >= 10),
        key=lambda it: int(it["total"]["N"]),
    )
    got_totals = [int(it["total"]["N"]) for it in items]
    assert got_totals == [int(it["total"]["N"]) for it in want], got_totals
    assert sorted(it["order"]["S"] for it in items) == sorted(it["order"]["S"] for it in want)
    assert page_count >= len(want) // 4, page_count


def transact_conflict(ddb):
    existing = order(0)
    key = {"customer": existing["customer"], "order": existing["order"]}
    new_item = order(1000)
    try:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": TABLE, "Item": new_item}},
            {"ConditionCheck": {
                "TableName": TABLE,
                "Key": key,
                "ConditionExpression": "attribute_not_exists(customer)",
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }},
        ])
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == "TransactionCanceledException", e.response
        assert err["Message"] == ("Transaction cancelled, please refer cancellation reasons "
                                  "for specific reasons [None, ConditionalCheckFailed]"), err
        reasons = e.response["CancellationReasons"]
        assert reasons[0] == {"Code": "None"}, reasons
        assert reasons[1]["Code"] == "ConditionalCheckFailed", reasons
        assert reasons[1]["Message"] == "The conditional request failed", reasons
        assert reasons[1]["Item"] == existing, reasons
    else:
        raise AssertionError("TransactWriteItems succeeded; want TransactionCanceledException")
    new_key = {"customer": new_item["customer"], "order": new_item["order"]}
    got = ddb.get_item(TableName=TABLE, Key=new_key, ConsistentRead=True)
    assert "Item" not in got, got


def main():
    ddb = client()
    create_table(ddb)
    batch_write(ddb)
    query_gsi(ddb)
    transact_conflict(ddb)
    print("boto3 %s, botocore %s: OK" % (boto3.__version__, botocore.__version__))


if __name__ == "__main__":
    main()
