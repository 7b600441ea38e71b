using System.Net.WebSockets;
using System.Text;

namespace Harness.Proxy.Tests.Support;

/// <summary>One message to LocalOrigin's /ws echo and back, then a normal close.</summary>
internal static class WebSocketEcho
{
    public static async Task RoundTripAsync(ClientWebSocket ws, string text, CancellationToken ct)
    {
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
        var buffer = new byte[1024];
        var received = await ws.ReceiveAsync(buffer, ct);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, received.Count), Is.EqualTo(text));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
    }
}
