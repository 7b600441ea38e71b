using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace Harness.LeakSuite;

/// <summary>
/// Builds the cases of one phone fixture: every planned (scenario, installed browser, mode) of the fixture's serial,
/// named "scenario [browser, mode] @ serial" and categorised for `dotnet test --filter`.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LeakCasesAttribute : NUnitAttribute, ITestBuilder, IImplyFixture
{
    private readonly NUnitTestCaseBuilder _builder = new();

    public IEnumerable<TestMethod> BuildFrom(IMethodInfo method, Test? suite)
    {
        var plan = CurrentPlan.Value;
        var serial = suite?.Arguments is { Length: > 0 } args ? args[0] as string : null;
        if (plan.ConfigurationError is not null || serial is null)
        {
            var broken = new TestCaseParameters([PhoneFixture.ConfigurationCaseKey]) { TestName = "rack configuration" };
            broken.Properties.Add(PropertyNames.Category, LeakSuiteCategories.Suite);
            yield return _builder.BuildTestMethod(method, suite, broken);
            yield break;
        }
        foreach (var planned in plan.CasesBySerial.GetValueOrDefault(serial) ?? [])
        {
            var parameters = new TestCaseParameters([planned.Key]) { TestName = planned.TestName };
            foreach (var category in planned.Categories) parameters.Properties.Add(PropertyNames.Category, category);
            parameters.Properties.Set(PropertyNames.Description, planned.Case.Scenario.Claim);
            yield return _builder.BuildTestMethod(method, suite, parameters);
        }
    }
}
