namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// A phone that drops off adb in the middle of a case: that case is inconclusive (never passed), and the other phone,
/// running in parallel, finishes all of its cases.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PhoneLostMidCaseTests
{
    [Test]
    public async Task TheLostPhonesCaseIsInconclusiveAndTheOtherPhoneFinishes()
    {
        await using var rack = await SuiteRack.StartAsync(1.0, ("Redmi Note 8", ["mint@3.4.3"]), ("Mi 10", ["mint@3.4.3"]));
        var lost = rack.Phones[0];
        var healthy = rack.Phones[1];
        var output = rack.Folder.Combine("out");
        var trx = rack.Folder.Combine("trx");
        var pulled = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? pulling = null;

        // The suite prints "<serial> start  <case>" when a case begins; the case then runs its steps and a 4 s settle.
        var suite = await LeakSuiteProcess.RunSuiteAsync("TestCategory=scenario:incognito-url&TestCategory=browser:mint", trx,
            rack.Environment(output, settleSeconds: 4), line =>
            {
                TestContext.Progress.WriteLine("  suite| " + line);
                if (pulling is null && line.StartsWith($"{lost.Serial} start  ", StringComparison.Ordinal))
                {
                    pulling = Task.Run(async () =>
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1));
                        await lost.Phone.DropAdbConnectionsAsync();
                        pulled.TrySetResult(line[(lost.Serial.Length + " start  ".Length)..]);
                    });
                }
            }, TimeSpan.FromMinutes(8));
        Assert.That(pulling, Is.Not.Null, "the lost phone never started a case:\n" + suite);
        await pulling!;
        var run = SuiteArtifacts.Read(output, trx);

        var lostCases = run.Cases.Where(c => c.GetProperty("serial").GetString() == lost.Serial).ToList();
        Assert.That(lostCases, Is.Not.Empty, suite.ToString());
        var interrupted = lostCases[0];
        Assert.That(interrupted.GetProperty("verdict").GetString(), Is.EqualTo("inconclusive"), $"the case running when the cable was pulled: {interrupted}");
        Assert.That(lostCases.Select(c => c.GetProperty("verdict").GetString()), Has.None.EqualTo("pass"), "nothing on the lost phone may pass");
        var nunit = run.Trx.Single(t => t.TestName == SuiteArtifacts.TestName(interrupted));
        Assert.That(nunit.Outcome, Is.Not.EqualTo("Passed").And.Not.EqualTo("Failed"), "NUnit's inconclusive state, not pass or fail");
        Assert.That(nunit.Message, Does.StartWith("inconclusive:"));

        var healthyCases = run.Cases.Where(c => c.GetProperty("serial").GetString() == healthy.Serial).ToList();
        Assert.That(healthyCases, Has.Count.EqualTo(2), "the other phone ran both of its cases");
        Assert.That(healthyCases.Select(c => c.GetProperty("verdict").GetString()), Is.All.AnyOf("pass", "fail"), "judged, not lost: " + string.Join("\n", healthyCases));
    }
}
