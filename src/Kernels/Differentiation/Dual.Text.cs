using System.Globalization;
using System.Numerics;

namespace OdeGpu.Differentiation;

/// <summary>Conversions, parsing and formatting (host side): a dual converts, parses and formats as its value.</summary>
public readonly partial struct Dual<T, TTangent>
{
    /// <summary>The value as text; the tangents are not written (read <see cref="Tangent"/>).</summary>
    public override string ToString() => Value.ToString() ?? "";

    /// <summary>The value as text; the tangents are not written (read <see cref="Tangent"/>).</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    /// <summary>Writes the value; the tangents are not written.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format, provider);

    /// <summary>Writes the value as UTF-8; the tangents are not written.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(utf8Destination, out bytesWritten, format, provider);

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>.</summary>
    public static Dual<T, TTangent> Parse(string s, IFormatProvider? provider) => new(T.Parse(s, provider));

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>.</summary>
    public static Dual<T, TTangent> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(T.Parse(s, provider));

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>.</summary>
    public static Dual<T, TTangent> Parse(string s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>.</summary>
    public static Dual<T, TTangent> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider));

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>, if the text is a number.</summary>
    public static bool TryParse(string? s, IFormatProvider? provider, out Dual<T, TTangent> result) =>
        Parsed(T.TryParse(s, provider, out var value), value, out result);

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>, if the text is a number.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dual<T, TTangent> result) =>
        Parsed(T.TryParse(s, provider, out var value), value, out result);

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>, if the text is a number.</summary>
    public static bool TryParse(string? s, NumberStyles style, IFormatProvider? provider, out Dual<T, TTangent> result) =>
        Parsed(T.TryParse(s, style, provider, out var value), value, out result);

    /// <summary>A constant (zero tangents) parsed as <typeparamref name="T"/>, if the text is a number.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out Dual<T, TTangent> result) =>
        Parsed(T.TryParse(s, style, provider, out var value), value, out result);

    /// <summary>Another number as a constant; a dual of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertFromChecked<TOther>(TOther value, out Dual<T, TTangent> result)
    {
        result = value is Dual<T, TTangent> same ? same : new(T.CreateChecked(value));
        return true;
    }

    /// <summary>Another number as a constant; a dual of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertFromSaturating<TOther>(TOther value, out Dual<T, TTangent> result)
    {
        result = value is Dual<T, TTangent> same ? same : new(T.CreateSaturating(value));
        return true;
    }

    /// <summary>Another number as a constant; a dual of this type as itself.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> cannot be created from <typeparamref name="TOther"/>.</exception>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertFromTruncating<TOther>(TOther value, out Dual<T, TTangent> result)
    {
        result = value is Dual<T, TTangent> same ? same : new(T.CreateTruncating(value));
        return true;
    }

    /// <summary>The value converted to another number; the tangents are dropped.</summary>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertToChecked<TOther>(Dual<T, TTangent> value, out TOther result)
    {
        result = TOther.CreateChecked(value.Value);
        return true;
    }

    /// <summary>The value converted to another number; the tangents are dropped.</summary>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertToSaturating<TOther>(Dual<T, TTangent> value, out TOther result)
    {
        result = TOther.CreateSaturating(value.Value);
        return true;
    }

    /// <summary>The value converted to another number; the tangents are dropped.</summary>
    static bool INumberBase<Dual<T, TTangent>>.TryConvertToTruncating<TOther>(Dual<T, TTangent> value, out TOther result)
    {
        result = TOther.CreateTruncating(value.Value);
        return true;
    }

    private static bool Parsed(bool parsed, T value, out Dual<T, TTangent> result)
    {
        result = new(value);
        return parsed;
    }
}
