namespace Harness.Flows;

public sealed record WebSocketMessage(DateTimeOffset Time, bool FromClient, bool IsText, byte[] Data);
