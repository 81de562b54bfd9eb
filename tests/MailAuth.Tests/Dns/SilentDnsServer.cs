using System.Net;
using System.Net.Sockets;
using MailAuth.Dns;

namespace MailAuth.Tests.Dns;

/// <summary>
/// A DNS server that never answers, for timeout and cancellation tests: a UDP socket on 127.0.0.1 that reads
/// queries and drops them, and a TCP listener on the same port that accepts connections, reads, and never replies.
/// With <c>truncateUdp</c>, UDP queries get an empty answer with the TC bit set, so a client falls back to the
/// TCP side, which stays silent.
/// </summary>
public sealed class SilentDnsServer : IDisposable
{
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = new();
    private int _udpQueries;
    private int _tcpConnections;

    public SilentDnsServer(bool truncateUdp = false)
    {
        Exception? last = null;
        for (int i = 0; i < 20; i++)
        {
            var port = KnotServer.FreePort();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                tcp.Start();
                _udp = udp;
                _tcp = tcp;
                Endpoint = new DnsServerEndpoint(IPAddress.Loopback, port);
                _ = Task.Run(() => UdpLoopAsync(truncateUdp));
                _ = Task.Run(TcpLoopAsync);
                return;
            }
            catch (SocketException ex)
            {
                last = ex;
                udp.Dispose();
                tcp.Stop();
            }
        }
        throw new InvalidOperationException("Could not bind a silent DNS server on 127.0.0.1.", last);
    }

    public DnsServerEndpoint Endpoint { get; }

    /// <summary>UDP datagrams received so far.</summary>
    public int UdpQueries => Volatile.Read(ref _udpQueries);

    /// <summary>TCP connections accepted so far.</summary>
    public int TcpConnections => Volatile.Read(ref _tcpConnections);

    private async Task UdpLoopAsync(bool truncate)
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }

            Interlocked.Increment(ref _udpQueries);
            if (!truncate || received.ReceivedBytes < 12) continue;

            // Echo the query back as an empty response with QR and TC set (RFC 1035 §4.1.1), question kept.
            var reply = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            reply[2] = (byte)(0x80 | 0x02 | (reply[2] & 0x01)); // QR, TC, keep RD
            reply[3] = 0x00;                                      // RCODE NOERROR
            reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0; // no AN, NS, AR
            var questionEnd = QuestionEnd(reply);
            if (questionEnd > 0) reply = reply.AsSpan(0, questionEnd).ToArray();
            try { await _udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { }
        }
    }

    private static int QuestionEnd(byte[] message)
    {
        int i = 12;
        while (i < message.Length && message[i] != 0) i += message[i] + 1;
        i += 1 + 4;
        return i <= message.Length ? i : -1;
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _tcp.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _tcpConnections);
            lock (_clients) _clients.Add(client);
            _ = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                try
                {
                    var stream = client.GetStream();
                    while (await stream.ReadAsync(buffer, _stop.Token) > 0) { /* read and never answer */ }
                }
                catch (Exception) { }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
        lock (_clients)
        {
            foreach (var c in _clients) c.Dispose();
        }
        _stop.Dispose();
    }
}
