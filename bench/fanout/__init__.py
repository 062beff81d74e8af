"""The fan-out benchmark's parts: the servers, their processes and clients, the runs, the report."""
