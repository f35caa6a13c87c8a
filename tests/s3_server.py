"""A real S3-compatible server for the tests: moto's server mode, in a thread of the test process,
bound to a free port. boto3 talks to it over HTTP as it would to any object store."""

import os
import uuid

import boto3

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


class S3Server:
    def __init__(self, host: str = "127.0.0.1"):
        from moto.moto_server.threaded_moto_server import ThreadedMotoServer

        os.environ.update(CREDENTIALS)  # boto3 reads them when it makes a client
        self.server = ThreadedMotoServer(ip_address=host, port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="eu-west-1")

    def new_bucket(self) -> str:
        name = f"po-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        return name

    def storage_url(self, bucket: str, prefix: str = "") -> str:
        return f"s3://{bucket}/{prefix}?endpoint_url={self.endpoint}&region_name=eu-west-1"

    def stop(self):
        self.server.stop()
