namespace MailAuth.Findings
{
    public enum FindingSeverity
    {
        Information = 0,
        Warning = 1,
        Error = 2,
    }
}
