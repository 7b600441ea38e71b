"""bench/Http2LayerBench peer: the same workload through mitmproxy's HTTP/2 stack (python h2, hyper-h2), both roles in
memory: 16 GET streams per round, BODY-octet responses, the client acknowledging every DATA frame as it arrives.
Prints "BODY exchanges-per-second" per cell (the best of 3 runs). Usage: python3 peer.py SECONDS"""
import sys, time
import h2.config, h2.connection, h2.events

def measure(size, seconds):
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    client.initiate_connection()
    server.initiate_connection()
    # The same windows as the C# side's defaults: 1 MiB per stream, 16 MiB per connection.
    client.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 1 << 20})
    client.increment_flow_control_window((16 << 20) - 65535)
    server.receive_data(client.data_to_send())
    client.receive_data(server.data_to_send())
    server.receive_data(client.data_to_send())
    client.receive_data(server.data_to_send())
    body = bytes(size)
    request = [(":method", "GET"), (":scheme", "https"), (":authority", "origin.test"), (":path", "/bytes?n=%d" % size), ("user-agent", "bench")]
    response = [(":status", "200"), ("content-type", "application/octet-stream"), ("content-length", str(size))]
    exchanges = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(16):
            client.send_headers(client.get_next_available_stream_id(), request, end_stream=True)
        for e in server.receive_data(client.data_to_send()):
            if isinstance(e, h2.events.RequestReceived):
                server.send_headers(e.stream_id, response)
                # Frames no larger than the peer allows, within the windows (the C# layer does this inside SendData).
                offset = 0
                while offset < size:
                    chunk = min(size - offset, server.max_outbound_frame_size, server.local_flow_control_window(e.stream_id))
                    server.send_data(e.stream_id, body[offset:offset + chunk], end_stream=offset + chunk == size)
                    offset += chunk
                if size == 0:
                    server.end_stream(e.stream_id)
        for e in client.receive_data(server.data_to_send()):
            if isinstance(e, h2.events.DataReceived):
                client.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
            elif isinstance(e, h2.events.StreamEnded):
                exchanges += 1
        server.receive_data(client.data_to_send())
        client.receive_data(server.data_to_send())
    return exchanges / (time.perf_counter() - start)

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3
for size in (1024, 65536):
    print(size, "%.0f" % max(measure(size, seconds) for _ in range(3)))
