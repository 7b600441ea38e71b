using System.Diagnostics;
using Harness.Adb;

namespace Harness.Adb.Tests.Unit;

public sealed class ShellQuoteTests
{
    private static readonly string[] Hostile =
    [
        "plain", "two words", "it's", "\"double\"", "$HOME", "$(id)", "`id`", "a;b", "a && b", "a|b", "line1\nline2",
        "tab\there", "back\\slash", "глава 中文 🙂", "*", "~", "!x", "'", "''", "", "%s", "-n",
    ];

    [Test]
    public void Quote_wraps_in_single_quotes_and_escapes_embedded_ones()
    {
        Assert.That(ShellQuote.Quote("it's"), Is.EqualTo("'it'\\''s'"));
        Assert.That(ShellQuote.Quote(""), Is.EqualTo("''"));
        Assert.That(ShellQuote.Quote("$x; y"), Is.EqualTo("'$x; y'"));
    }

    [Test]
    public void Join_leaves_a_plain_command_bare_and_quotes_every_argument()
    {
        Assert.That(ShellQuote.Join("echo", "a b", "c"), Is.EqualTo("echo 'a b' 'c'"));
        Assert.That(ShellQuote.Join("my cmd"), Is.EqualTo("'my cmd'"));
    }

    /// <summary>The device's sh is POSIX; the local /bin/sh applies the same quoting rules, so each argument must come back intact.</summary>
    [Test]
    public async Task Hostile_arguments_round_trip_through_a_posix_sh()
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("/bin/sh is needed to check quoting against a real shell");
        foreach (var argument in Hostile)
        {
            var startInfo = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(ShellQuote.Join("printf", "%s", argument));
            using var process = Process.Start(startInfo)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.That(output, Is.EqualTo(argument), $"argument {argument}");
        }
    }
}
