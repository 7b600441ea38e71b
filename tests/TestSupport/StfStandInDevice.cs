using Harness.VirtualDevice;

namespace Harness.TestSupport;

/// <summary>
/// One phone of the <see cref="StfStandIn"/> farm. <see cref="Phone"/> is the virtual phone behind it (null: a phone
/// the farm lists but whose tunnel never opens); its adb port accepts connections only while remote connect is on.
/// </summary>
public sealed class StfStandInDevice(string serial, string model, int sdk, VirtualPhone? phone)
{
    public string Serial { get; } = serial;
    public string Model { get; } = model;
    public int Sdk { get; } = sdk;
    public VirtualPhone? Phone { get; } = phone;
    public bool Present { get; set; } = true;
    public bool Ready { get; set; } = true;

    /// <summary>Who holds the phone (an e-mail), null when free.</summary>
    public string? Owner { get; set; }
    public bool RemoteConnected { get; set; }
}
