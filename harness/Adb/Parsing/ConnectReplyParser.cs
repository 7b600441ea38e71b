namespace Harness.Adb.Parsing;

/// <summary>`host:connect` always answers OKAY; only its text says whether it worked.</summary>
public static class ConnectReplyParser
{
    public static bool IsConnected(string text) =>
        text.StartsWith("connected to", StringComparison.Ordinal)
        || text.StartsWith("already connected to", StringComparison.Ordinal);

    public static bool IsDisconnected(string text) =>
        text.StartsWith("disconnected", StringComparison.Ordinal);
}
