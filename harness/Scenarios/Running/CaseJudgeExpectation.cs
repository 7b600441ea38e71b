using Harness.Core;
using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>One scenario expectation as expectations.json stores it: names, not enums, so a reader needs no code of ours.</summary>
public sealed record CaseJudgeExpectation(string Kind, List<string> Kinds, List<string> To, List<string> AllowHosts)
{
    public ScenarioExpectation ToExpectation(string file, string field)
    {
        var kind = Enum.GetValues<ScenarioExpectationKind>().Select(k => (Kind: k, Name: Named(k))).FirstOrDefault(k => k.Name == Kind);
        if (kind.Name is null) throw new BadInputException($"unknown expectation kind \"{Kind}\"", file, field: field + ".kind");
        var kinds = Kinds.Select(name => CanaryKindNames.TryParse(name, out var k) ? k
            : throw new BadInputException($"unknown canary kind \"{name}\"", file, field: field + ".kinds")).ToList();
        var to = To.Select(name => Enum.GetValues<DestinationClass>().Where(d => DestinationClassNames.ToName(d) == name).Select(d => (DestinationClass?)d).FirstOrDefault()
            ?? throw new BadInputException($"unknown destination class \"{name}\"", file, field: field + ".to")).ToList();
        return new ScenarioExpectation(kind.Kind, kinds, to, AllowHosts, new SourceLocation(file, 0, 0));
    }

    private static string Named(ScenarioExpectationKind kind) => new ScenarioExpectation(kind, [], [], [], default).Name;
}
