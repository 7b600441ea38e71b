using Harness.Browsers;
using Harness.Core;

namespace Harness.Cli.Tests.Hardening;

/// <summary>Crashes the `browser-profile-yaml` fuzz target (tests/fuzz) found in the profile loader (harness/Browsers has no test project of its own).</summary>
[TestFixture]
public sealed class BrowserProfileFuzzRegressionTests
{
    [TestCase("!!!!!!!!!!!![d: x", TestName = "InvalidGlobalTag_IsBadInput_NotArgumentException")]
    [TestCase("\0: x", TestName = "NulAsKey_IsBadInput_NotArgumentException")]
    public void MalformedYaml_IsBadInputNamingTheFile(string yaml)
    {
        // Found by afl: YamlDotNet threw ArgumentException ("Global tags must be valid URIs", "unsupported event") out of Parse.
        var e = Assert.Throws<BadInputException>(() => BrowserProfileLoader.Parse(yaml, "profile.yaml"))!;
        Assert.That(e.File, Is.EqualTo("profile.yaml"));
        Assert.That(e.Line, Is.Not.Null);
    }
}
