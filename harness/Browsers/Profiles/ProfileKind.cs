namespace Harness.Browsers;

/// <summary>
/// What a profile drives: a browser under test (scenarios/browsers) or a system app the harness needs on the way,
/// such as Settings for the user CA store (scenarios/system). Each kind has its own set of action names; one engine runs both.
/// </summary>
public enum ProfileKind
{
    Browser,
    SystemApp,
}
