namespace Harness.Evidence.Regression;

/// <summary>How the baseline case was chosen: on a phone of the same model when one exists, else on any phone.</summary>
public enum BaselineMatch
{
    None,
    SameDeviceModel,
    AnyDevice,
}
