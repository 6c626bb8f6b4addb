namespace Edge.Micro.Converter;

/// <summary>A model cannot be converted; the message says why and what to do.</summary>
public sealed class ConverterException(string message) : Exception(message);
