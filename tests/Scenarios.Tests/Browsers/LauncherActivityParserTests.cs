using Harness.Browsers;

namespace Harness.Scenarios.Tests.Browsers;

[TestFixture]
public sealed class LauncherActivityParserTests
{
    [Test]
    public void The_component_follows_the_priority_line() =>
        Assert.That(LauncherActivityParser.Parse("priority=0 preferredOrder=0 match=0x108000 specificIndex=-1 isDefault=true\r\ncom.mi.globalbrowser.mini/com.android.browser.BrowserActivity\r\n"),
            Is.EqualTo("com.mi.globalbrowser.mini/com.android.browser.BrowserActivity"));

    [TestCase("No activity found\n")]
    [TestCase("")]
    [TestCase("priority=0 preferredOrder=0\n")]
    public void No_component_means_null(string output) => Assert.That(LauncherActivityParser.Parse(output), Is.Null);
}
