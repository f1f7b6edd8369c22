package doctor

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The engine's names, while the catalogue moves out of this package.
type (
	ID                = engine.ID
	Severity          = engine.Severity
	Check             = engine.Check
	Status            = engine.Status
	Result            = engine.Result
	Item              = engine.Item
	Evidence          = engine.Evidence
	FactName          = engine.FactName
	Fact              = engine.Fact
	Key[T any]        = engine.Key[T]
	Facts             = engine.Facts
	Plan              = engine.Plan
	UnknownCheckError = engine.UnknownCheckError
	RunOptions        = engine.RunOptions
	Report            = engine.Report
	Outcome           = engine.Outcome
	skipOrigin        = engine.SkipOrigin
)

// The engine's constants.
const (
	SeverityError       = engine.SeverityError
	SeverityWarning     = engine.SeverityWarning
	DocsURL             = engine.DocsURL
	StatusPass          = engine.StatusPass
	StatusWarn          = engine.StatusWarn
	StatusFail          = engine.StatusFail
	StatusSkip          = engine.StatusSkip
	StatusUnknown       = engine.StatusUnknown
	DefaultCheckTimeout = engine.DefaultCheckTimeout
	skippedByFlag       = engine.SkippedByFlag
)

// The engine's functions.
var (
	Pass          = engine.Pass
	Problem       = engine.Problem
	Warn          = engine.Warn
	NotApplicable = engine.NotApplicable
	NeedsInput    = engine.NeedsInput
	Unknown       = engine.Unknown
	NewFacts      = engine.NewFacts
	NewPlan       = engine.NewPlan
	Run           = engine.Run
	Validate      = engine.Validate
	cutShortBy    = engine.CutShort
)

// Define makes the Fact for key k from a typed producer.
func Define[T any](k Key[T], needs []FactName, produce func(ctx context.Context, in Facts) (T, error)) Fact {
	return engine.Define(k, needs, produce)
}
