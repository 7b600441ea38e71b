using System.Net;
using Harness.Core;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>A phone connection no flow accounted for, as expectations.json stores it.</summary>
public sealed record CaseJudgeConnection(string Remote, DateTimeOffset SeenAt, string? Detail)
{
    public static CaseJudgeConnection From(UnaccountedConnection c) => new(c.Remote.ToString(), c.SeenAt, c.Detail);

    public UnaccountedConnection ToConnection(string file, string field) =>
        IPEndPoint.TryParse(Remote, out var endPoint)
            ? new UnaccountedConnection(endPoint, SeenAt, Detail)
            : throw new BadInputException($"\"{Remote}\" is not an IP endpoint", file, field: field + ".remote");
}
