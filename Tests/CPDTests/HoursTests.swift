import Testing

@testable import CPD

/// Hours in sentences: "1 hour", never "1 hours".
@Suite struct HoursTests {
    @Test func hoursReadAsEnglish() {
        #expect(Hours.phrase(minutes: 60) == "1 hour")
        #expect(Hours.phrase(minutes: 90) == "1.5 hours")
        #expect(Hours.phrase(minutes: 120) == "2 hours")
        #expect(Hours.phrase(minutes: 45) == "0.75 hours")
        #expect(Hours.text(minutes: 60) == "1")
    }
}
