namespace Harness.Adb;

/// <summary>The three tables of `settings`.</summary>
public enum SettingsNamespace
{
    Global,
    Secure,
    System,
}
