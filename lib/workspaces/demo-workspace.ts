// The demo workspace that `npm run demo` starts with and the Meta simulator feeds. No database
// import here: the demo launcher uses these ids without opening the embedded database.
export const DEMO = {
  slug: "demo",
  name: "Demo Shop",
  ownerEmail: "owner@demo.whatrack.local",
  wabaId: "102290129340398",
  phoneNumberId: "106540352242922",
  displayPhoneNumber: "+1 555-010-0001",
} as const;
