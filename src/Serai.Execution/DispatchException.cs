namespace Serai.Execution;

/// <summary>A job could not be started; the message says why.</summary>
public sealed class DispatchException(string message, Exception? inner = null) : Exception(message, inner);
