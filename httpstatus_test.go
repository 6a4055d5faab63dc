package oauthreg_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/oauthreg/oauthreg"
	"github.com/oauthreg/oauthreg/oauthregtest"
)

func TestHTTPStatus(t *testing.T) {
	for err, want := range map[error]int{
		nil:                                  200,
		oauthreg.ErrInvalidCredentials:       401,
		oauthreg.ErrForbidden:                403,
		oauthreg.ErrNotFound:                 404,
		oauthreg.ErrSecretNotFound:           404,
		oauthreg.ErrSecretNotRecognized:      404,
		oauthreg.ErrAlreadyExists:            409,
		oauthreg.ErrConflict:                 409,
		oauthreg.ErrTooManySecrets:           409,
		oauthreg.ErrSecretsNotUsed:           409,
		oauthreg.ErrNotRetrievable:           409,
		oauthreg.ErrInvalidSecret:            400,
		oauthreg.ErrUnsupportedHash:          400,
		oauthreg.ErrInvalidUpdate:            400,
		oauthreg.ErrInvalidCursor:            400,
		oauthreg.ErrInvalidScope:             400,
		oauthreg.ErrUnavailable:              503,
		context.Canceled:                     503,
		context.DeadlineExceeded:             504,
		oauthreg.ErrInvalidConfig:            500,
		oauthreg.ErrSealedSecret:             500,
		oauthreg.ErrUnsupportedStore:         500,
		errors.New("driver: disk I/O error"): 500,
	} {
		if got := oauthreg.HTTPStatus(err); got != want {
			t.Errorf("HTTPStatus(%v) = %d, want %d", err, got, want)
		}
		if err != nil {
			if got := oauthreg.HTTPStatus(fmt.Errorf("wrapped: %w", err)); got != want {
				t.Errorf("HTTPStatus(wrapped %v) = %d, want %d", err, got, want)
			}
		}
	}
	// Errors as the Registry returns them.
	kit := oauthregtest.New(t)
	ctx := context.Background()
	_, _, err := kit.Register(ctx, oauthreg.Client{Owner: "o", Name: "n", RedirectURIs: []string{"not a uri"}})
	if got := oauthreg.HTTPStatus(err); got != http.StatusBadRequest {
		t.Errorf("invalid metadata (%v): %d, want 400", err, got)
	}
	if _, err := kit.Get(ctx, "missing"); oauthreg.HTTPStatus(err) != http.StatusNotFound {
		t.Errorf("Get(missing) = %v: %d, want 404", err, oauthreg.HTTPStatus(err))
	}
	c, secret := kit.ConfidentialClient(t)
	if _, err := kit.Authenticate(ctx, c.ID, secret.Reveal()+"x"); oauthreg.HTTPStatus(err) != http.StatusUnauthorized {
		t.Errorf("a wrong secret: %d, want 401", oauthreg.HTTPStatus(err))
	}
	if _, err := kit.RevealSecret(ctx, c.ID, secret.ID()); oauthreg.HTTPStatus(err) != http.StatusConflict {
		t.Errorf("RevealSecret without a key ring (%v): %d, want 409", err, oauthreg.HTTPStatus(err))
	}
}
