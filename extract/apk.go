package extract

import "archive/zip"

// appContext is what members of one app build share while it is extracted
// (for an APK: its resource table, to resolve references in binary XML).
type appContext struct{}

// appScope recognises an app build among zip archives and prepares the
// context its members share.
func (x *job) appScope(sc scope, zr *zip.Reader) scope { return sc }
