using System.Net;
using Harness.Core;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>A phone connection no flow accounted for, as expectations.json stores it ("tcp" or "udp"; absent = tcp).</summary>
public sealed record CaseJudgeConnection(string Remote, DateTimeOffset SeenAt, string? Detail, string? Transport = null)
{
    public static CaseJudgeConnection From(UnaccountedConnection c) =>
        new(c.Remote.ToString(), c.SeenAt, c.Detail, c.Transport == SocketTransport.Udp ? "udp" : "tcp");

    public UnaccountedConnection ToConnection(string file, string field)
    {
        var transport = Transport switch
        {
            null or "tcp" => SocketTransport.Tcp,
            "udp" => SocketTransport.Udp,
            _ => throw new BadInputException($"\"{Transport}\" is not a transport (tcp or udp)", file, field: field + ".transport"),
        };
        return IPEndPoint.TryParse(Remote, out var endPoint)
            ? new UnaccountedConnection(endPoint, SeenAt, Detail, transport)
            : throw new BadInputException($"\"{Remote}\" is not an IP endpoint", file, field: field + ".remote");
    }
}
