using Harness.Adb.Parsing;

namespace Harness.Adb.Tests.Unit;

/// <summary>
/// The text `service call iphonesubinfo 1` prints, as phones print it: one row per 16 bytes with offsets and the text
/// column, or one line for a short reply; an exception parcel (the shell user on Android 10+) gives its message.
/// </summary>
public sealed class ServiceCallParcelTests
{
    [Test]
    public void A_multi_row_reply_gives_the_IMEI()
    {
        const string output = """
            Result: Parcel(
              0x00000000: 00000000 0000000f 00350033 00390035 '........3.5.5.9.'
              0x00000010: 00300032 00370030 00330035 00310039 '2.0.0.7.5.3.9.1.'
              0x00000020: 00380034 00000032                   '4.8.2...        ')
            """;
        Assert.That(ServiceCallParcel.ReadString(output), Is.EqualTo(((string?)"355920075391482", (string?)null)));
    }

    [Test]
    public void Words_inside_the_text_column_are_not_read_as_data()
    {
        // A text column that happens to hold eight hex digits ('deadbeef') must not shift the words.
        const string output = "Result: Parcel(00000000 00000002 00620061 00000000 '........a.b.deadbeef')";
        Assert.That(ServiceCallParcel.ReadString(output), Is.EqualTo(((string?)"ab", (string?)null)));
    }

    [Test]
    public void An_exception_parcel_gives_its_message_not_a_value()
    {
        // EX_SECURITY (-1) and the message, as Parcel.writeException writes them.
        const string output = """
            Result: Parcel(
              0x00000000: ffffffff 00000009 00650067 00440074 '........g.e.t.D.'
              0x00000010: 00760065 00630069 00000065          'e.v.i.c.e...    ')
            """;
        var (value, problem) = ServiceCallParcel.ReadString(output);
        Assert.That(value, Is.Null);
        Assert.That(problem, Is.EqualTo("exception -1: getDevice"));
    }

    [TestCase("service: Service iphonesubinfo does not exist", "not a parcel: service: Service iphonesubinfo does not exist")]
    [TestCase("Result: Parcel(00000000 ffffffff '........')", "the reply holds no string (null or cut short)")]
    [TestCase("Result: Parcel(00000000 '....')", "the parcel is too short for a status and a string")]
    public void What_is_not_a_string_says_why(string output, string problem)
    {
        Assert.That(ServiceCallParcel.ReadString(output), Is.EqualTo(((string?)null, (string?)problem)));
    }
}
