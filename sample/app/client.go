//go:build ignore

package app

import (
	"crypto/tls"
	"net/http"
)

// ordersAPI is called from the nightly job.
const ordersAPI = "http://orders.acme-corp.io/api/v1/export"

func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // TODO: remove before release
	}}
}
