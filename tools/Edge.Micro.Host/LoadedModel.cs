using Edge.Micro.Converter;
using Edge.Micro.Converter.TfLite;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Host;

/// <summary>A model ready to run, from a .tflite (converted in memory) or an .emm file.</summary>
public sealed class LoadedModel
{
    private LoadedModel(string path, byte[] emm, Model model, ConversionResult? conversion)
    {
        Path = path;
        Emm = emm;
        Model = model;
        Conversion = conversion;
    }

    /// <summary>The file it came from.</summary>
    public string Path { get; }

    /// <summary>The .emm bytes.</summary>
    public byte[] Emm { get; }

    /// <summary>The validated runtime model.</summary>
    public Model Model { get; }

    /// <summary>The conversion (graph and plan) when the file was a .tflite; null for an .emm.</summary>
    public ConversionResult? Conversion { get; }

    /// <summary>Model name derived from a file name: the file name without extension.</summary>
    public static string NameFromPath(string path) => System.IO.Path.GetFileNameWithoutExtension(path);

    /// <summary>Loads a file, telling .tflite from .emm by content; throws <see cref="ConverterException"/> or <see cref="ModelException"/>.</summary>
    public static LoadedModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file not found: {path}", path);
        }

        byte[] bytes = File.ReadAllBytes(path);
        return FromBytes(bytes, NameFromPath(path), path);
    }

    /// <summary>Loads model bytes (.tflite or .emm).</summary>
    public static LoadedModel FromBytes(byte[] bytes, string name, string path)
    {
        if (bytes.Length >= 4 && LittleEndian.ReadUInt32(bytes, 0) == EmmFormat.Magic)
        {
            return new LoadedModel(path, bytes, new Model(bytes), null);
        }

        if (TfLiteModel.LooksLikeTfLite(bytes))
        {
            ConversionResult conversion = ModelConverter.Convert(bytes, name);
            return new LoadedModel(path, conversion.Emm, new Model(conversion.Emm), conversion);
        }

        throw new ConverterException($"{path}: neither a TFLite model (.tflite) nor an Edge.Micro model (.emm)");
    }
}
