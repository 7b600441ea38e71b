using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>The phone's screen stays locked after waking it and dismissing the keyguard (a PIN, pattern or password): no case can drive it.</summary>
public sealed class PhoneLockedException : AdbException
{
    public PhoneLockedException(string serial)
        : base($"{serial}: the screen is locked (PIN, pattern or password): unlock the phone and keep it unlocked (or set Screen lock to None) before the run")
    {
        Serial = serial;
    }

    public string Serial { get; }
}
