namespace Harness.Scenarios;

/// <summary>What a differential case concluded about one kind of opaque request.</summary>
public enum DifferentialRowKind
{
    /// <summary>Its size grew with the input in every run while the baseline matched run 1: the input is likely inside.</summary>
    Correlated,
    /// <summary>Its size stayed within the noise allowance in every run: it did not follow the input.</summary>
    NotCorrelated,
    /// <summary>The runs differ in a way the input does not explain (missing, different counts, sizes off the line).</summary>
    Disagree,
}
