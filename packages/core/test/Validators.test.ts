import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { Validation, Validators } from "@strata/core"

const accepts = (
  predicate: (value: string) => boolean,
  valid: ReadonlyArray<string>,
  invalid: ReadonlyArray<string>
) => {
  for (const value of valid) expect([value, predicate(value)]).toEqual([value, true])
  for (const value of invalid) expect([value, predicate(value)]).toEqual([value, false])
}

enum UserRole {
  Admin = "admin",
  User = "user",
  Guest = "guest"
}

enum Level {
  Low,
  High
}

describe("Validators predicates", () => {
  it("isEmail", () => {
    accepts(Validators.isEmail, [
      "user@example.com",
      "first.last+tag@sub.example.co.uk",
      "o'hara@example.org",
      "x@xn--bcher-kva.example"
    ], [
      "",
      "plainaddress",
      "user@localhost",
      "user@@example.com",
      ".user@example.com",
      "user.@example.com",
      "us..er@example.com",
      "user@-example.com",
      "user@example.c",
      "user name@example.com",
      "user@exa_mple.com",
      `${"a".repeat(65)}@example.com`,
      `user@${"a".repeat(250)}.com`
    ])
  })

  it("isUrl accepts http(s) by default and other schemes only when asked", () => {
    accepts(Validators.isUrl, [
      "https://example.com",
      "http://localhost:3000/path?q=1#x",
      "https://user@example.com/a/b",
      "HTTPS://EXAMPLE.COM"
    ], [
      "example.com",
      "ftp://example.com",
      "https://",
      "http:example.com",
      "https://exa mple.com",
      "javascript:alert(1)"
    ])
    expect(Validators.isUrl("ftp://files.example.com", { protocols: ["ftp"] })).toBe(true)
    expect(Validators.isUrl("https://example.com", { protocols: ["ftp"] })).toBe(false)
  })

  it("isUuid", () => {
    accepts(Validators.isUuid, [
      "123e4567-e89b-12d3-a456-426614174000",
      "00000000-0000-0000-0000-000000000000",
      "A987FBC9-4BED-3078-CF07-9141BA07C9F3"
    ], [
      "123e4567e89b12d3a456426614174000",
      "123e4567-e89b-12d3-a456-42661417400",
      "g23e4567-e89b-12d3-a456-426614174000"
    ])
  })

  it("isPhoneE164", () => {
    accepts(Validators.isPhoneE164, ["+12125551234", "+442071838750", "+49"], [
      "12125551234",
      "+1 212 555 1234",
      "+0123456789",
      "+1234567890123456",
      "+",
      "+1-212-555-1234"
    ])
  })

  it("isCreditCard checks the format, the digit count and the Luhn checksum", () => {
    accepts(Validators.isCreditCard, [
      "4539 1488 0343 6467",
      "4539148803436467",
      "4539-1488-0343-6467",
      "378282246310005",
      "6011111111111117"
    ], ["4539 1488 0343 6468", "4539 1488 0343 646a", "79927398713", "4539_1488_0343_6467", "12345678901234567890"])
  })

  it("isIPv4, isIPv6 and isIP", () => {
    accepts(Validators.isIPv4, ["0.0.0.0", "192.168.0.1", "255.255.255.255", "10.0.0.254"], [
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "01.2.3.4",
      "1.2.3.-4",
      "a.b.c.d",
      " 1.2.3.4"
    ])
    accepts(Validators.isIPv6, [
      "::1",
      "::",
      "2001:db8::1",
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
      "fe80::",
      "::ffff:192.0.2.128",
      "1:2:3:4:5:6:1.2.3.4"
    ], [
      "1::2::3",
      "2001:db8:::1",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7",
      "12345::1",
      "::g",
      ":1:2:3:4:5:6:7",
      "fe80::1%eth0",
      "::ffff:256.0.0.1",
      "1.2.3.4",
      "1:2:3:4:5:6:7:1.2.3.4"
    ])
    expect([Validators.isIP("10.0.0.1"), Validators.isIP("::1"), Validators.isIP("nope")]).toEqual([true, true, false])
    expect([Validators.isIP("::1", 4), Validators.isIP("::1", 6), Validators.isIP("10.0.0.1", 6)]).toEqual([
      false,
      true,
      false
    ])
  })

  it("hasLength counts code points and array items, inRange is inclusive", () => {
    expect(Validators.hasLength("johndoe", { min: 3, max: 50 })).toBe(true)
    expect(Validators.hasLength("jo", { min: 3 })).toBe(false)
    expect(Validators.hasLength("😀😀😀", { max: 3 })).toBe(true)
    expect(Validators.hasLength([1, 2], { min: 3 })).toBe(false)
    expect([Validators.inRange(18, { min: 18 }), Validators.inRange(17.9, { min: 18 })]).toEqual([true, false])
    expect([Validators.inRange(120, { max: 120 }), Validators.inRange(Number.NaN, {})]).toEqual([true, false])
  })

  it("matches is safe with global regular expressions", () => {
    const re = /^[A-Z]{3}-\d{3}$/g
    expect([Validators.matches("ABC-123", re), Validators.matches("ABC-123", re)]).toEqual([true, true])
    expect(Validators.matches("abc-123", re)).toBe(false)
  })

  it("isPresent", () => {
    expect([null, undefined, "", "   ", []].map(Validators.isPresent)).toEqual([false, false, false, false, false])
    expect([0, false, "x", [0], {}].map(Validators.isPresent)).toEqual([true, true, true, true, true])
  })

  it("isDateInRange parses ISO dates strictly and checks inclusive bounds", () => {
    const bounds = { min: new Date("2023-01-01"), max: "2023-12-31" }
    expect(Validators.isDateInRange("2023-05-15", bounds)).toBe(true)
    expect(Validators.isDateInRange("2023-01-01", bounds)).toBe(true)
    expect(Validators.isDateInRange("2023-12-31", bounds)).toBe(true)
    expect(Validators.isDateInRange("2024-01-01", bounds)).toBe(false)
    expect(Validators.isDateInRange("2022-12-31T23:59:59Z", bounds)).toBe(false)
    expect(Validators.isDateInRange("2023-01-01T00:30:00+01:00", bounds)).toBe(false)
    expect(Validators.isDateInRange("2023-02-30")).toBe(false)
    expect(Validators.isDateInRange("2023-13-01")).toBe(false)
    expect(Validators.isDateInRange("15/05/2023")).toBe(false)
    expect(Validators.isDateInRange(new Date(Number.NaN))).toBe(false)
    expect(Validators.isDateInRange("2024-02-29")).toBe(true)
    expect(Validators.parseDate("2023-05-15T10:30")?.toISOString()).toBe("2023-05-15T10:30:00.000Z")
    expect(Validators.parseDate("0099-01-01")?.getUTCFullYear()).toBe(99)
    expect(() => Validators.isDateInRange("2023-05-15", { min: "yesterday" })).toThrow("Invalid date bound")
  })

  it("isOneOf accepts a list or an enum and narrows", () => {
    expect(Validators.isOneOf("admin", UserRole)).toBe(true)
    expect(Validators.isOneOf("Admin", UserRole)).toBe(false)
    expect([Validators.isOneOf(1, Level), Validators.isOneOf("Low", Level)]).toEqual([true, false])
    const value: unknown = "b"
    if (Validators.isOneOf(value, ["a", "b"])) {
      const narrowed: "a" | "b" = value
      expect(narrowed).toBe("b")
    } else {
      expect.unreachable()
    }
  })

  it("checkPassword lists every broken rule; the default policy has no composition rules", () => {
    expect(Validators.checkPassword("correct horse battery")).toEqual([])
    expect(Validators.checkPassword("short")).toEqual(["Must be at least 8 characters long"])
    expect(Validators.checkPassword("password")).toEqual(["Is too common"])
    expect(Validators.checkPassword("Password", { forbidCommon: false })).toEqual([])
    expect(Validators.checkPassword("x".repeat(1025))).toEqual(["Must be at most 1024 characters long"])
    expect(Validators.checkPassword("é".repeat(8), { maxLength: 8 })).toEqual([])
    expect(Validators.checkPassword("abc", {
      minLength: 10,
      requireLowercase: true,
      requireUppercase: true,
      requireDigit: true,
      requireSpecial: true
    })).toEqual([
      "Must be at least 10 characters long",
      "Must contain an uppercase letter",
      "Must contain a digit",
      "Must contain a special character"
    ])
    const strict = {
      minLength: 10,
      requireLowercase: true,
      requireUppercase: true,
      requireDigit: true,
      requireSpecial: true
    }
    expect(Validators.isStrongPassword("SecureP@ss123", strict)).toBe(true)
    expect(Validators.isStrongPassword("SecurePass123", strict)).toBe(false)
  })
})

const issues = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.match(Validation.validateEither(schema)(input), {
    onLeft: (e) => e.errors.map((f) => ({ path: f.path, message: f.message, type: f.type })),
    onRight: () => []
  })

describe("Validators schemas", () => {
  it("ready schemas accept valid input and report their type otherwise", () => {
    const cases: ReadonlyArray<readonly [Schema.Schema<string>, string, string, string]> = [
      [Validators.Email, "user@example.com", "not-an-email", "email"],
      [Validators.Url, "https://example.com", "example.com", "url"],
      [Validators.Uuid, "123e4567-e89b-12d3-a456-426614174000", "123", "uuid"],
      [Validators.PhoneE164, "+12125551234", "0044 20 7183 8750", "phone"],
      [Validators.CreditCard, "4539 1488 0343 6467", "4539 1488 0343 6468", "creditCard"],
      [Validators.IPv4, "10.0.0.1", "::1", "ip"],
      [Validators.IPv6, "::1", "10.0.0.1", "ip"],
      [Validators.IP, "::1", "10.0.0.256", "ip"],
      [Validators.Password, "correct horse", "letmein1", "password"]
    ]
    for (const [schema, valid, invalid, type] of cases) {
      expect(Schema.decodeUnknownSync(schema)(valid)).toBe(valid)
      const found = issues(schema, invalid)
      expect(found.map((f) => f.type)).toEqual([type])
      expect(found[0]!.message).not.toContain(invalid)
    }
    expect(issues(Validators.Email, 42)).toEqual([{ path: "", message: "Expected a string", type: "type" }])
  })

  it("filters compose with other schemas and carry messages", () => {
    const Username = Schema.String.pipe(Schema.trimmed(), Validators.length({ min: 3, max: 5 }))
    expect(issues(Username, "jo")).toEqual([
      { path: "", message: "Must be between 3 and 5 characters", type: "length" }
    ])
    expect(issues(Schema.Array(Schema.Number).pipe(Validators.length({ max: 1 })), [1, 2])).toEqual([
      { path: "", message: "Must be at most 1 items", type: "length" }
    ])
    expect(issues(Schema.Number.pipe(Validators.range({ min: 18 })), 17)).toEqual([
      { path: "", message: "Must be at least 18", type: "range" }
    ])
    const Website = Schema.String.pipe(Validators.url({ protocols: ["https"] }))
    expect(issues(Website, "http://example.com").map((f) => f.type)).toEqual(["url"])
    const Custom = Validators.Email.annotations({ message: () => "Please enter a work email" })
    expect(issues(Custom, "x")).toEqual([{ path: "", message: "Please enter a work email", type: "email" }])
  })

  it("password reports one error per broken rule", () => {
    const NewPassword = Schema.String.pipe(Validators.password({ minLength: 10, requireDigit: true }))
    expect(issues(NewPassword, "secret")).toEqual([
      { path: "", message: "Must be at least 10 characters long", type: "password" },
      { path: "", message: "Must contain a digit", type: "password" },
      { path: "", message: "Is too common", type: "password" }
    ])
  })

  it("dateInRange works on Date and string schemas, and refuses bad bounds up front", () => {
    const InYear = Schema.Date.pipe(Validators.dateInRange({ min: "2023-01-01", max: "2023-12-31" }))
    expect(Schema.decodeUnknownSync(InYear)("2023-06-01").toISOString()).toBe("2023-06-01T00:00:00.000Z")
    expect(issues(InYear, "2024-06-01")).toEqual([
      { path: "", message: "Must be between 2023-01-01 and 2023-12-31", type: "date" }
    ])
    expect(issues(InYear, "garbage")[0]!.type).toBe("date")
    const IsoString = Schema.String.pipe(Validators.dateInRange({ min: "2023-01-01" }))
    expect(issues(IsoString, "2023-02-30")).toEqual([{ path: "", message: "Invalid date", type: "date" }])
    expect(issues(IsoString, "2022-12-31")).toEqual([
      { path: "", message: "Must be on or after 2023-01-01", type: "date" }
    ])
    expect(() => Validators.dateInRange({ max: "31/12/2023" })).toThrow("Invalid date bound")
  })
})
