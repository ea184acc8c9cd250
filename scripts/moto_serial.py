"""moto_server handling one request at a time.

moto's backends are not safe under concurrent writes: a failed
TransactWriteItems restores a copy of the table taken when it began, which
can erase a concurrent winner's commit. DynamoDB itself isolates
transactions. Serialising the requests (connections stay concurrent) makes
the emulator linearizable like the service it stands for, so the contract
and journey tests can race requests for real.

Usage: the same arguments as moto_server (-H HOST -p PORT).
"""

import sys
import threading

from moto import server

_one_at_a_time = threading.Lock()


class SerialDispatcher(server.DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        with _one_at_a_time:
            return super().__call__(environ, start_response)


server.DomainDispatcherApplication = SerialDispatcher

if __name__ == "__main__":
    server.main(sys.argv[1:])
