namespace Harness.Flows;

public sealed record FlowError(FlowErrorKind Kind, string Message);
