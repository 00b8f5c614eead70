/**
 * A short list of the most common passwords (from public breach-frequency lists), used by
 * the `forbidCommon` password rule. It stops the worst choices only; for a full check use a
 * breached-password service (for example the HIBP range API) in addition.
 *
 * @internal
 */

/** @internal */
export const commonPasswords: ReadonlySet<string> = new Set([
  "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910", "123123", "123123123",
  "111111", "11111111", "000000", "00000000", "121212", "112233", "654321", "987654321", "666666",
  "88888888", "123321", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "qwerty", "qwerty1", "qwerty12",
  "qwerty123", "qwertyuiop", "asdfghjkl", "asdf1234", "zxcvbnm", "zxcvbnm1", "password", "password1",
  "password12", "password123", "password!", "passw0rd", "p@ssw0rd", "p@ssword", "pa$$word", "admin",
  "admin123", "admin1234", "administrator", "root", "toor", "letmein", "letmein1", "welcome", "welcome1",
  "welcome123", "iloveyou", "iloveyou1", "princess", "sunshine", "football", "baseball", "monkey",
  "dragon", "master", "superman", "batman", "trustno1", "shadow", "michael", "jennifer", "abc123",
  "abc12345", "abcd1234", "abcdefg", "abcdefgh", "aa123456", "a1b2c3d4", "changeme", "default",
  "secret", "secret123", "starwars", "whatever", "computer", "internet", "freedom", "hello123",
  "login", "guest", "test", "test123", "test1234", "testing", "qazwsx", "azerty", "azerty123",
  "1234qwer", "q1w2e3r4", "q1w2e3r4t5", "passpass", "mypassword", "lovely", "charlie", "donald",
  "access", "access14", "mustang", "killer", "solo", "hottie", "flower", "loveme", "123qwe",
  "123abc", "11223344", "1111111111", "0987654321", "qwe123", "qweasdzxc", "google", "samsung"
])
