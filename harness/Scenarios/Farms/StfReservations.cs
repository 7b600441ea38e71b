namespace Harness.Scenarios;

/// <summary>What <see cref="StfPhoneProvider.ReserveAsync"/> got: the phones to attach, and why wanted phones were skipped.</summary>
public sealed record StfReservations(IReadOnlyList<RemotePhoneLink> Links, IReadOnlyList<string> Skipped);
