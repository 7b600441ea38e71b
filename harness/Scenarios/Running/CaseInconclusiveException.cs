namespace Harness.Scenarios;

/// <summary>A step ran but the browser is not in the state it should be (a toggle that did not take): the case cannot be judged.</summary>
public sealed class CaseInconclusiveException(string message) : Exception(message);
