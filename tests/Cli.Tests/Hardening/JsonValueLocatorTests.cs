using System.Text;
using Harness.Core;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Regression for "HAR and destinations shape errors name no line" (found by the bad-input tests): the locator that
/// maps an error's field path back to the line and column in the file.
/// </summary>
[TestFixture]
public sealed class JsonValueLocatorTests
{
    private static readonly byte[] Har = Encoding.UTF8.GetBytes(
        "{\n \"log\": {\n  \"entries\": [\n   {\"a\": 1},\n   {\"request\": {\n     \"url\": 5\n   }}\n  ]\n }\n}");

    [TestCase("log", 2, 9)]
    [TestCase("log.entries", 3, 14)]
    [TestCase("log.entries[0]", 4, 4)]
    [TestCase("log.entries[1].request.url", 6, 13)]
    [TestCase("$", 1, 1)]
    public void FindsTheValueOfAPath(string path, int line, int column) =>
        Assert.That(JsonValueLocator.Find(Har, path), Is.EqualTo((line, column)));

    [Test]
    public void MissingField_IsLocatedAtItsParent() =>
        Assert.That(JsonValueLocator.Find(Har, "log.entries[1].request.method"), Is.EqualTo((5, 16)));

    [Test]
    public void TopLevelArrayIndex_IsFound() =>
        Assert.That(JsonValueLocator.Find("{\"vendor\": [\"a\",\n 7]}"u8, "vendor[1]"), Is.EqualTo((2, 2)));

    [Test]
    public void BrokenText_GivesTheLastAncestorSeen() =>
        Assert.That(JsonValueLocator.Find("{\"a\": {\"b\": [1, "u8, "a.b[5]"), Is.EqualTo((1, 13)));
}
