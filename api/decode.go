package api

import (
	"fmt"
	"unsafe"

	"github.com/oapi-codegen/nullable"

	"github.com/aivenapi/aivenapi/internal/json"
)

// The three response types decode in one pass over the body with the
// reader of jsonread.go, field by field, into the generated types: no
// reflection, no separate syntax check, and an error that names the call
// and the byte. The result is the one encoding/json would give (as it
// would with the plain types and the UnmarshalJSON methods of Time, Tags,
// nullable.Nullable and EndOfLifeExtensions); decode_test.go proves it
// on fuzzed input and also checks that no field of a generated type is
// left out here, so that a regenerated type with a new field fails the
// tests until its decoder reads it.
//
// A body without the one field the result is about ("clouds", "projects",
// "user") is an error too, so that after a nil error JSON200 holds it.

func init() { json.SetDecoder(decodeResult) }

// decodeResult is the decoder the generated Parse functions reach through
// internal/json.
func decodeResult(data []byte, v any) (bool, error) {
	switch v := v.(type) {
	case *ListCloudsResponse:
		return v != nil, v.decode(data)
	case *ProjectListResponse:
		return v != nil, v.decode(data)
	case *UserInfoResponse:
		return v != nil, v.decode(data)
	}
	return false, nil
}

// UnmarshalJSON decodes a GET /v1/clouds body.
func (v *ListCloudsResponse) UnmarshalJSON(data []byte) error { return v.decode(data) }

// UnmarshalJSON decodes a GET /v1/project body.
func (v *ProjectListResponse) UnmarshalJSON(data []byte) error { return v.decode(data) }

// UnmarshalJSON decodes a GET /v1/me body.
func (v *UserInfoResponse) UnmarshalJSON(data []byte) error { return v.decode(data) }

func (v *ListCloudsResponse) decode(data []byte) error {
	if v == nil {
		return nil
	}
	r := reader{data: data}
	r.listClouds(v)
	return r.finish("ListClouds", "clouds", v.Clouds != nil)
}

func (v *ProjectListResponse) decode(data []byte) error {
	if v == nil {
		return nil
	}
	r := reader{data: data}
	r.projectList(v)
	return r.finish("ProjectList", "projects", v.Projects != nil)
}

func (v *UserInfoResponse) decode(data []byte) error {
	if v == nil {
		return nil
	}
	r := reader{data: data}
	user := r.userInfo(v)
	if err := r.finish("UserInfo", "user", user != nil); err != nil {
		return err
	}
	v.User = *user
	return nil
}

// BodyError is the error of a successful response whose body is not the
// operation's result: not JSON, cut short, of the wrong shape, or without
// the field the result is about. It matches ErrInvalidResponse with
// errors.Is.
type BodyError struct {
	// Operation is the operation ID, such as "ListClouds".
	Operation string
	// Size is the length of the body in bytes.
	Size int
	// Offset is where in the body the problem is, or -1 when the body
	// as a whole lacks something.
	Offset int
	// Reason says what is wrong, without quoting the body.
	Reason string
}

func (e *BodyError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("api: %s: response body %s", e.Operation, e.Reason)
	}
	return fmt.Sprintf("api: %s: decode response body (%d bytes): at byte %d: %s", e.Operation, e.Size, e.Offset, e.Reason)
}

// Is reports whether target is ErrInvalidResponse.
func (e *BodyError) Is(target error) bool { return target == ErrInvalidResponse }

// finish checks that only white space follows the value and that the
// result's field was there.
func (r *reader) finish(op, field string, present bool) error {
	r.end()
	if r.err != nil {
		return &BodyError{Operation: op, Size: len(r.data), Offset: r.err.offset, Reason: r.err.msg}
	}
	if !present {
		return &BodyError{Operation: op, Size: len(r.data), Offset: -1, Reason: fmt.Sprintf("has no %q", field)}
	}
	return nil
}

// The field names of each type, for keys that match one only
// case-insensitively.
var (
	listCloudsNames   = fieldNames("clouds", "errors", "message")
	cloudNames        = fieldNames("cloud_description", "cloud_name", "geo_latitude", "geo_longitude", "geo_region", "provider", "provider_description")
	errorDetailNames  = fieldNames("error_code", "message", "metadata", "more_info", "status")
	projectListNames  = fieldNames("errors", "message", "project_membership", "project_memberships", "projects")
	emailNames        = fieldNames("email")
	cardInfoNames     = fieldNames("brand", "card_id", "country", "country_code", "exp_month", "exp_year", "last4", "name", "user_email")
	endOfLifeNames    = fieldNames("eol_date", "version")
	userInfoNames     = fieldNames("errors", "message", "user")
	invitationNames   = fieldNames("invite_code", "invite_time", "inviting_user_email", "project_name")
	projectFieldNames = fieldNames("account_id", "account_name", "address_lines", "available_credits",
		"billing_address", "billing_currency", "billing_emails", "billing_extra_text", "billing_group_id",
		"billing_group_name", "card_info", "city", "company", "country", "country_code", "default_cloud",
		"end_of_life_extension", "estimated_balance", "estimated_balance_local", "features", "organization_id",
		"payment_method", "project_name", "state", "tags", "tech_emails", "tenant_id", "trial_expiration_time",
		"vat_id", "zip_code")
	userFieldNames = fieldNames("auth", "city", "country", "create_time", "department", "features",
		"invitations", "job_title", "managed_by_scim", "managing_organization_id", "project_membership",
		"project_memberships", "projects", "real_name", "state", "tenant", "token_validity_begin", "user", "user_id")
)

// Each decoder below reads one object into the value it is given,
// setting only the fields present, as encoding/json does.

// fields reads an object key by key. known reads the value of a key it
// knows and reports true; a key it does not know is tried once more as
// the field name it matches case-insensitively, as encoding/json does,
// and skipped if still unknown. null leaves the value as it is.
func (r *reader) fields(n names, known func(key []byte) bool) {
	if !r.object() {
		return
	}
	for first := true; ; {
		key, ok := r.field(&first)
		if !ok {
			return
		}
		if known(key) {
			continue
		}
		if k := n.fold(key); k != nil && string(k) != string(key) && known(k) {
			continue
		}
		r.skip()
	}
}

func (r *reader) listClouds(v *ListCloudsResponse) {
	r.fields(listCloudsNames, func(key []byte) bool {
		switch string(key) {
		case "clouds":
			readList(r, &v.Clouds, (*reader).cloud)
		case "errors":
			readSlicePtr(r, &v.Errors, (*reader).errorDetail)
		case "message":
			r.setStringPtr(&v.Message)
		default:
			return false
		}
		return true
	})
}

func (r *reader) cloud(v *Cloud) {
	r.fields(cloudNames, func(key []byte) bool {
		switch string(key) {
		case "cloud_description":
			r.setStringPtr(&v.CloudDescription)
		case "cloud_name":
			r.setString(&v.CloudName)
		case "geo_latitude":
			r.setFloatPtr(&v.GeoLatitude)
		case "geo_longitude":
			r.setFloatPtr(&v.GeoLongitude)
		case "geo_region":
			r.setString(&v.GeoRegion)
		case "provider":
			r.setStringPtr(&v.Provider)
		case "provider_description":
			r.setStringPtr(&v.ProviderDescription)
		default:
			return false
		}
		return true
	})
}

func (r *reader) errorDetail(v *ErrorDetail) {
	r.fields(errorDetailNames, func(key []byte) bool {
		switch string(key) {
		case "error_code":
			r.setStringPtr(&v.ErrorCode)
		case "message":
			r.setStringPtr(&v.Message)
		case "metadata":
			r.setAnyMapPtr(&v.Metadata)
		case "more_info":
			r.setStringPtr(&v.MoreInfo)
		case "status":
			r.setIntPtr(&v.Status)
		default:
			return false
		}
		return true
	})
}

func (r *reader) projectList(v *ProjectListResponse) {
	r.fields(projectListNames, func(key []byte) bool {
		switch string(key) {
		case "errors":
			readSlicePtr(r, &v.Errors, (*reader).errorDetail)
		case "message":
			r.setStringPtr(&v.Message)
		case "project_membership":
			readMap(r, &v.ProjectMembership)
		case "project_memberships":
			readMap(r, &v.ProjectMemberships)
		case "projects":
			readList(r, &v.Projects, (*reader).project)
		default:
			return false
		}
		return true
	})
}

func (r *reader) project(v *Project) {
	r.fields(projectFieldNames, func(key []byte) bool {
		switch string(key) {
		case "account_id":
			readNullable(r, &v.AccountID)
		case "account_name":
			r.setStringPtr(&v.AccountName)
		case "address_lines":
			readSlicePtr(r, &v.AddressLines, (*reader).setString)
		case "available_credits":
			r.setStringPtr(&v.AvailableCredits)
		case "billing_address":
			r.setString(&v.BillingAddress)
		case "billing_currency":
			r.setStringPtr(&v.BillingCurrency)
		case "billing_emails":
			readSlice(r, &v.BillingEmails, (*reader).billingEmail)
		case "billing_extra_text":
			readNullable(r, &v.BillingExtraText)
		case "billing_group_id":
			r.setString(&v.BillingGroupID)
		case "billing_group_name":
			r.setString(&v.BillingGroupName)
		case "card_info":
			readNullable(r, &v.CardInfo)
		case "city":
			r.setStringPtr(&v.City)
		case "company":
			r.setStringPtr(&v.Company)
		case "country":
			r.setString(&v.Country)
		case "country_code":
			r.setString(&v.CountryCode)
		case "default_cloud":
			r.setString(&v.DefaultCloud)
		case "end_of_life_extension":
			r.endOfLifeExtensions(&v.EndOfLifeExtension)
		case "estimated_balance":
			r.setString(&v.EstimatedBalance)
		case "estimated_balance_local":
			r.setStringPtr(&v.EstimatedBalanceLocal)
		case "features":
			r.setAnyMapPtr(&v.Features)
		case "organization_id":
			r.setStringPtr(&v.OrganizationID)
		case "payment_method":
			r.setString(&v.PaymentMethod)
		case "project_name":
			r.setString(&v.ProjectName)
		case "state":
			r.setStringPtr(&v.State)
		case "tags":
			r.setTags(&v.Tags)
		case "tech_emails":
			readSlicePtr(r, &v.TechEmails, (*reader).techEmail)
		case "tenant_id":
			r.setStringPtr(&v.TenantID)
		case "trial_expiration_time":
			readNullable(r, &v.TrialExpirationTime)
		case "vat_id":
			r.setString(&v.VatID)
		case "zip_code":
			r.setStringPtr(&v.ZipCode)
		default:
			return false
		}
		return true
	})
}

func (r *reader) billingEmail(v *BillingEmail) { r.email(&v.Email) }

func (r *reader) techEmail(v *TechEmail) { r.email(&v.Email) }

// email reads {"email": ...}, the shape of BillingEmail and TechEmail.
func (r *reader) email(v *string) {
	r.fields(emailNames, func(key []byte) bool {
		if string(key) != "email" {
			return false
		}
		r.setString(v)
		return true
	})
}

func (r *reader) cardInfo(v *CardInfo) {
	r.fields(cardInfoNames, func(key []byte) bool {
		switch string(key) {
		case "brand":
			r.setString(&v.Brand)
		case "card_id":
			r.setString(&v.CardID)
		case "country":
			r.setString(&v.Country)
		case "country_code":
			r.setString(&v.CountryCode)
		case "exp_month":
			r.setInt(&v.ExpMonth)
		case "exp_year":
			r.setInt(&v.ExpYear)
		case "last4":
			r.setString(&v.Last4)
		case "name":
			r.setString(&v.Name)
		case "user_email":
			r.setString(&v.UserEmail)
		default:
			return false
		}
		return true
	})
}

// endOfLifeExtensions reads the object as the generated
// EndOfLifeExtensions.UnmarshalJSON does: keys match exactly, a repeated
// key counts once (the last), "elasticsearch" merges into the value there
// is, and the other keys, if any, replace AdditionalProperties.
func (r *reader) endOfLifeExtensions(p **EndOfLifeExtensions) {
	if r.null() {
		*p = nil
		return
	}
	if !r.object() {
		return
	}
	if *p == nil {
		*p = new(EndOfLifeExtensions)
	}
	var elasticsearch []byte
	var others map[string][]byte
	for first := true; ; {
		key, ok := r.field(&first)
		if !ok {
			break
		}
		if string(key) == "elasticsearch" {
			elasticsearch = r.raw()
			continue
		}
		if others == nil {
			others = map[string][]byte{}
		}
		k := r.newString(key)
		others[k] = r.raw()
	}
	if r.err != nil {
		return
	}
	v := *p
	if elasticsearch != nil {
		sub := reader{data: elasticsearch}
		if sub.null() {
			v.Elasticsearch = nil
		} else {
			if v.Elasticsearch == nil {
				v.Elasticsearch = new(EndOfLifeExtension)
			}
			sub.endOfLifeExtension(v.Elasticsearch)
		}
		r.adopt(&sub, elasticsearch)
	}
	if len(others) != 0 {
		v.AdditionalProperties = make(map[string]any, len(others))
		for k, raw := range others {
			sub := reader{data: raw}
			x := sub.anyValue()
			r.adopt(&sub, raw)
			v.AdditionalProperties[k] = x
		}
	}
}

// adopt takes the error of a reader of a part of r's data.
func (r *reader) adopt(sub *reader, part []byte) {
	if sub.err != nil && r.err == nil {
		offset := sub.err.offset
		if len(part) > 0 {
			offset += cap(r.data) - cap(part) // where part begins in r.data
		}
		r.err = &decodeError{offset: offset, msg: sub.err.msg}
		r.pos = len(r.data)
	}
}

func (r *reader) endOfLifeExtension(v *EndOfLifeExtension) {
	r.fields(endOfLifeNames, func(key []byte) bool {
		switch string(key) {
		case "eol_date":
			r.setString(&v.EolDate)
		case "version":
			r.setString(&v.Version)
		default:
			return false
		}
		return true
	})
}

// userInfo reads a UserInfoResponse and returns its user, which it reads
// into a User of its own: a body without "user" (or with "user": null)
// leaves v.User as it was and returns nil.
func (r *reader) userInfo(v *UserInfoResponse) *User {
	var user *User
	r.fields(userInfoNames, func(key []byte) bool {
		switch string(key) {
		case "errors":
			readSlicePtr(r, &v.Errors, (*reader).errorDetail)
		case "message":
			r.setStringPtr(&v.Message)
		case "user":
			if r.null() {
				user = nil
				return true
			}
			if user == nil {
				user = new(User)
			}
			r.user(user)
		default:
			return false
		}
		return true
	})
	return user
}

func (r *reader) user(v *User) {
	r.fields(userFieldNames, func(key []byte) bool {
		switch string(key) {
		case "auth":
			readSlice(r, &v.Auth, (*reader).setString)
		case "city":
			r.setStringPtr(&v.City)
		case "country":
			r.setStringPtr(&v.Country)
		case "create_time":
			r.setTimePtr(&v.CreateTime)
		case "department":
			r.setStringPtr(&v.Department)
		case "features":
			r.setAnyMapPtr(&v.Features)
		case "invitations":
			readSlice(r, &v.Invitations, (*reader).invitation)
		case "job_title":
			r.setStringPtr(&v.JobTitle)
		case "managed_by_scim":
			r.setBoolPtr(&v.ManagedByScim)
		case "managing_organization_id":
			r.setStringPtr(&v.ManagingOrganizationID)
		case "project_membership":
			readMap(r, &v.ProjectMembership)
		case "project_memberships":
			readMap(r, &v.ProjectMemberships)
		case "projects":
			readSlice(r, &v.Projects, (*reader).setString)
		case "real_name":
			r.setString(&v.RealName)
		case "state":
			r.setString(&v.State)
		case "tenant":
			r.setString(&v.Tenant)
		case "token_validity_begin":
			r.setTimePtr(&v.TokenValidityBegin)
		case "user":
			r.setString(&v.User)
		case "user_id":
			r.setString(&v.UserID)
		default:
			return false
		}
		return true
	})
}

func (r *reader) invitation(v *Invitation) {
	r.fields(invitationNames, func(key []byte) bool {
		switch string(key) {
		case "invite_code":
			r.setString(&v.InviteCode)
		case "invite_time":
			r.setTime(&v.InviteTime)
		case "inviting_user_email":
			r.setString(&v.InvitingUserEmail)
		case "project_name":
			r.setString(&v.ProjectName)
		default:
			return false
		}
		return true
	})
}

// readSlice reads an array into *s as encoding/json does: null sets nil,
// [] sets an empty slice, and elements are read into the ones already
// there (keeping fields the new element lacks), the slice cut to length.
func readSlice[T any](r *reader, s *[]T, elem func(*reader, *T)) {
	readArray(r, s, elem, false)
}

// readList is readSlice for the list a response is made of (its projects,
// its clouds), which is most of the body: once a few elements are read, the
// slice grows at once to the number of elements the rest of the body holds
// at the size seen so far, instead of doubling, which for a long list
// allocates and copies about twice the final slice.
func readList[T any](r *reader, s *[]T, elem func(*reader, *T)) {
	readArray(r, s, elem, true)
}

func readArray[T any](r *reader, s *[]T, elem func(*reader, *T), estimate bool) {
	if r.null() {
		*s = nil
		return
	}
	if !r.array() {
		return
	}
	start := r.pos
	x := *s
	i := 0
	for first := true; r.item(&first); i++ {
		if i >= cap(x) {
			if n := listCap[T](estimate, i, r.pos-start, len(r.data)-r.pos); n > i {
				grown := make([]T, len(x), n)
				copy(grown, x)
				x = grown
			} else {
				x = append(x[:cap(x)], *new(T))[:len(x)]
			}
		}
		if i >= len(x) {
			x = x[:i+1]
		}
		elem(r, &x[i])
	}
	if i < len(x) {
		x = x[:i]
	}
	if i == 0 {
		x = []T{}
	}
	*s = x
}

// listCap returns the capacity for a list of which n elements took used
// bytes of the body, with left bytes after them, or 0 to let append
// choose. The guess leaves a sixteenth for elements longer than the ones
// seen, and never reserves more bytes of T than the body has left, so
// that a body of small elements followed by something long cannot make it
// reserve much more memory than the body itself.
func listCap[T any](estimate bool, n, used, left int) int {
	const sample = 8 // elements read before their size is trusted
	if !estimate || n < sample || used <= 0 {
		return 0
	}
	more := int(float64(left) / float64(used) * float64(n))
	more += more/16 + 1
	return n + min(more, left/max(int(unsafe.Sizeof(*new(T))), 1))
}

// readSlicePtr reads an array into **p, reusing the slice it points to;
// null sets it to nil.
func readSlicePtr[T any](r *reader, p **[]T, elem func(*reader, *T)) {
	if r.null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new([]T)
	}
	readSlice(r, *p, elem)
}

// readNullable reads a value into a nullable.Nullable as its UnmarshalJSON
// does: null sets it null, and a value is read into a new T. The types
// are switched on here, not passed as a function, so that the new T stays
// on the stack; TestDecodersReadEveryField fails on a type missing here.
func readNullable[T any](r *reader, p *nullable.Nullable[T]) {
	if r.null() {
		p.SetNull()
		return
	}
	var v T
	switch x := any(&v).(type) {
	case *string:
		r.setString(x)
	case *Time:
		r.setTime(x)
	case *CardInfo:
		r.cardInfo(x)
	default:
		panic(fmt.Sprintf("api: no decoder for nullable.Nullable[%T]", v))
	}
	if r.err == nil {
		p.Set(v)
	}
}

// readMap reads an object into *m as encoding/json does: null sets it to
// nil, keys are added to the map there is, and each value is read into a
// new V (so a null value is V's zero value). The value types are switched
// on, as in readNullable.
func readMap[V any](r *reader, m *map[string]V) {
	if r.null() {
		*m = nil
		return
	}
	if !r.object() {
		return
	}
	if *m == nil {
		*m = map[string]V{}
	}
	for first := true; ; {
		key, ok := r.field(&first)
		if !ok {
			return
		}
		k := r.newString(key)
		var v V
		switch x := any(&v).(type) {
		case *string:
			r.setString(x)
		case *[]string:
			readSlice(r, x, (*reader).setString)
		case *any:
			*x = r.anyValue()
		default:
			panic(fmt.Sprintf("api: no decoder for map values of type %T", v))
		}
		(*m)[k] = v
	}
}

// setAnyMapPtr reads an object of any values into **p, adding to the map
// there is; null sets it to nil.
func (r *reader) setAnyMapPtr(p **map[string]any) {
	if r.null() {
		*p = nil
		return
	}
	if r.peek() != '{' {
		r.object() // the mismatch
		return
	}
	if *p == nil {
		*p = new(map[string]any)
	}
	readMap(r, *p)
}

// setTags reads tags as Tags.UnmarshalJSON does: the object replaces the
// tags there are, and a value that is not a string is kept as its text.
func (r *reader) setTags(p **Tags) {
	if r.null() {
		*p = nil
		return
	}
	if !r.object() {
		return
	}
	tags := Tags{}
	for first := true; ; {
		key, ok := r.field(&first)
		if !ok {
			break
		}
		k := r.newString(key)
		if r.peek() == '"' {
			s, _ := r.str()
			tags[k] = s
			continue
		}
		tags[k] = string(r.raw())
	}
	if r.err != nil {
		return
	}
	if *p == nil {
		*p = new(Tags)
	}
	**p = tags
}

// setTime reads a time as Time.UnmarshalJSON does: null is the zero Time,
// and any string is kept.
func (r *reader) setTime(t *Time) {
	switch r.peek() {
	case 'n':
		r.literal("null")
		*t = Time{}
	case '"':
		if s, ok := r.str(); ok {
			t.Raw = s
			t.Time, _ = parseTime(s)
		}
	default:
		r.value(false, "a string (a time)")
	}
}

// setTimePtr reads a time into **p, reusing the Time it points to; null
// sets it to nil.
func (r *reader) setTimePtr(p **Time) {
	if r.null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new(Time)
	}
	r.setTime(*p)
}
