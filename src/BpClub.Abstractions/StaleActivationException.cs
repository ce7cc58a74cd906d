namespace BpClub.Abstractions;

/// <summary>
/// A card's activation found the ledger moved on without it (another activation of the same card wrote
/// meanwhile, as after a partition or a silo's death). It answers nothing as done and deactivates; a
/// retry with the same operation id reaches the current activation. Front ends answer 503.
/// </summary>
public sealed class StaleActivationException(string message) : Exception(message);
