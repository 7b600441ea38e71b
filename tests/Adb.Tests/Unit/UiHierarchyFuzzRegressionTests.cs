using Harness.Adb;
using Harness.Adb.Ui;

namespace Harness.Adb.Tests.Unit;

/// <summary>Crashes the `uiautomator` fuzz target (tests/fuzz) found in the dump parser.</summary>
public sealed class UiHierarchyFuzzRegressionTests
{
    [Test]
    public void XmlDeclarationWithWrongVersion_IsAProtocolError_NotArgumentException()
    {
        // Found by afl: XmlReader throws ArgumentException (not XmlException) for version="2.0".
        var dump = "<?xml version='2.0' ?><hierarchy rotation=\"0\"><node bounds=\"[0,0][1,1]\"/></hierarchy>";
        Assert.Throws<AdbProtocolException>(() => UiHierarchy.Parse(dump));
    }

    [Test]
    public void BoundsBeyondInt_LeaveTheElementWithoutBounds_NotOverflowException()
    {
        // Found by afl: int.Parse overflowed on a coordinate of 11 digits.
        var dump = "<?xml version='1.0' ?><hierarchy rotation=\"0\"><node text=\"big\" bounds=\"[0,0][99999999999,1]\"/></hierarchy>";
        var element = UiHierarchy.Parse(dump).Find(UiSelector.Text("big"));
        Assert.That(element, Is.Not.Null);
        Assert.That(element!.Bounds, Is.Null);
    }

    [Test]
    public void UiBoundsParse_RejectsOverflowAsFormatException() =>
        Assert.Throws<FormatException>(() => UiBounds.Parse("[0,0][1,-99999999999]"));
}
