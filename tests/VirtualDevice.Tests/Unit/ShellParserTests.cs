using Harness.VirtualDevice.Shell;

namespace Harness.VirtualDevice.Tests.Unit;

public sealed class ShellParserTests
{
    private static IReadOnlyList<string> Words(string line) => ShellParser.Parse(line).Single().Pipeline.Commands.Single().Words;

    [Test]
    public void QuotesAndBackslashesAreRemoved()
    {
        Assert.That(Words("echo 'a b' \"c \\\"d\\\" $x\" e\\ f"), Is.EqualTo(new[] { "echo", "a b", "c \"d\" $x", "e f" }));
        Assert.That(Words("echo 'it'\\''s'"), Is.EqualTo(new[] { "echo", "it's" }));
        Assert.That(Words("echo ''"), Is.EqualTo(new[] { "echo", "" }));
    }

    [Test]
    public void ListsPipelinesAndConnectors()
    {
        var steps = ShellParser.Parse("a 1 && b | grep x || c; d");
        Assert.That(steps.Select(s => s.Connector), Is.EqualTo(new[] { ShellConnector.Sequence, ShellConnector.And, ShellConnector.Or, ShellConnector.Sequence }));
        Assert.That(steps[1].Pipeline.Commands.Select(c => c.Words[0]), Is.EqualTo(new[] { "b", "grep" }));
    }

    [Test]
    public void OperatorsInsideQuotesAreWords()
    {
        Assert.That(Words("echo 'a;b|c&&d>e'"), Is.EqualTo(new[] { "echo", "a;b|c&&d>e" }));
    }

    [Test]
    public void Redirections()
    {
        var cmd = ShellParser.Parse("ls /x > /sdcard/out 2>&1").Single().Pipeline.Commands.Single();
        Assert.That(cmd.Words, Is.EqualTo(new[] { "ls", "/x" }));
        Assert.That(cmd.Redirects, Is.EqualTo(new[] { new ShellRedirect(1, "/sdcard/out", false), new ShellRedirect(2, "&1", false) }));
        var err = ShellParser.Parse("cat a 2>/dev/null >> b").Single().Pipeline.Commands.Single();
        Assert.That(err.Redirects, Is.EqualTo(new[] { new ShellRedirect(2, "/dev/null", false), new ShellRedirect(1, "b", true) }));
    }

    [Test]
    public void SyntaxErrors()
    {
        Assert.Throws<ShellSyntaxException>(() => ShellParser.Parse("echo 'open"));
        Assert.Throws<ShellSyntaxException>(() => ShellParser.Parse("echo a &&"));
        Assert.Throws<ShellSyntaxException>(() => ShellParser.Parse("| grep"));
    }

    [Test]
    public void EmptyAndCommentOnlyLinesHaveNoSteps()
    {
        Assert.That(ShellParser.Parse("   "), Is.Empty);
        Assert.That(ShellParser.Parse("# nothing"), Is.Empty);
    }
}
