namespace Harness.VirtualDevice.Telemetry;

/// <summary>The "type" values of Sensors Analytics events.</summary>
public static class SensorsEventType
{
    public const string Track = "track";
    public const string TrackSignup = "track_signup";
    public const string ProfileSet = "profile_set";
}
