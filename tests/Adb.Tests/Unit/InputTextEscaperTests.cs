using Harness.Adb;

namespace Harness.Adb.Tests.Unit;

public sealed class InputTextEscaperTests
{
    [TestCase("hello", "'hello'")]
    [TestCase("hello world", "'hello%sworld'")]
    [TestCase("a;b&c|d", "'a;b&c|d'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("$HOME `id` (x) <y> *~\\\"", "'$HOME%s`id`%s(x)%s<y>%s*~\\\"'")]
    [TestCase("https://example.com/?q=a%20b", "'https://example.com/?q=a%20b'")]
    public void Escapes_spaces_and_quotes_for_sh(string text, string expected)
    {
        Assert.That(InputTextEscaper.Escape(text), Is.EqualTo(expected));
    }

    [TestCase("café")]
    [TestCase("中文")]
    [TestCase("emoji 🙂")]
    [TestCase("tab\t")]
    [TestCase("new\nline")]
    public void Refuses_what_input_text_cannot_type(string text)
    {
        var exception = Assert.Throws<UnsupportedTextException>(() => InputTextEscaper.Escape(text));
        Assert.That(exception!.Message, Does.Contain("input text"));
    }

    [Test]
    public void Refuses_literal_percent_s_and_empty_text()
    {
        Assert.Throws<UnsupportedTextException>(() => InputTextEscaper.Escape("100%sure"));
        Assert.Throws<ArgumentException>(() => InputTextEscaper.Escape(""));
        Assert.That(InputTextEscaper.Escape("100%"), Is.EqualTo("'100%'"));
    }
}
