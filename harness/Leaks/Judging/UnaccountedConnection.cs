using System.Net;

namespace Harness.Leaks;

/// <summary>A connection the phone made (seen in /proc/net/tcp*) that no captured flow accounts for.</summary>
public sealed record UnaccountedConnection(IPEndPoint Remote, DateTimeOffset SeenAt, string? Detail = null);
