/*
 * x12_types - data type checks; see x12_types.h.
 */
#include "x12_types.h"

static unsigned num2(const char *p)
{
	return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

static bool leap(unsigned year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool x12_date_valid(struct strview v)
{
	static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31};
	unsigned year, month, day;
	const char *p;

	if ((v.len != 6 && v.len != 8) || !sv_is_digits(v))
		return false;
	if (v.len == 8) {
		year = num2(v.ptr) * 100 + num2(v.ptr + 2);
		p = v.ptr + 4;
	} else {
		/* YYMMDD: the century does not matter except for 00 */
		year = 2000 + num2(v.ptr);
		p = v.ptr + 2;
	}
	month = num2(p);
	day = num2(p + 2);
	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return false;
	return !(month == 2 && day == 29 && !leap(year));
}

bool x12_time_valid(struct strview v)
{
	if ((v.len != 4 && v.len != 6 && v.len != 7 && v.len != 8) ||
	    !sv_is_digits(v))
		return false;
	if (num2(v.ptr) > 23 || num2(v.ptr + 2) > 59)
		return false;
	return v.len == 4 || num2(v.ptr + 4) <= 59;
}

bool x12_isa_version_valid(struct strview v)
{
	return v.len == 5 && sv_is_digits(v) && v.ptr[0] == '0' &&
	       v.ptr[1] == '0' && v.ptr[2] >= '2' && v.ptr[2] <= '8';
}
