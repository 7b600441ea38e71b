namespace Harness.Leaks;

/// <summary>One step from a view to a payload: the decoder that ran and the label it gets in a location.</summary>
public sealed record DecodeStep(string Decoder, string Label);
